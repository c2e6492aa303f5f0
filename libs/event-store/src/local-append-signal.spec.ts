import { onLocalAppend, signalLocalAppend } from './local-append-signal';

describe('local append signal', () => {
  it('wakes the listeners of the schema appended to, until they unsubscribe', () => {
    const woken: string[] = [];
    const stopA = onLocalAppend('schema_a', () => woken.push('a1'));
    onLocalAppend('schema_a', () => woken.push('a2'));
    onLocalAppend('schema_b', () => woken.push('b'));
    signalLocalAppend('schema_a');
    expect(woken).toEqual(['a1', 'a2']);
    stopA();
    signalLocalAppend('schema_a');
    signalLocalAppend('nobody_listens');
    expect(woken).toEqual(['a1', 'a2', 'a2']);
  });
});
