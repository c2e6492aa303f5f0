/** A denials spike: at least `minimum` denials in the last day and more than `factor` times the daily average before. */
export function isDenialSpike(last24h: number, dailyAverage: number, factor = 3, minimum = 20): boolean {
  return last24h >= minimum && last24h > factor * dailyAverage;
}

/** The digest's day (UTC) and whether it is due: once a day, after the configured hour. */
export function digestDay(now: Date, hourUtc: number): { day: string; due: boolean } {
  return { day: now.toISOString().slice(0, 10), due: now.getUTCHours() >= hourUtc };
}
