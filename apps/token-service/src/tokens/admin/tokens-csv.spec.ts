import { csvCell } from './tokens-csv';

describe(csvCell.name, () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['@cmd', "'@cmd"],
    [null, ''],
    [42, '42'],
  ])('writes %p as %p', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});
