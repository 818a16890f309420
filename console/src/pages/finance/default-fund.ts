/** The fund the zone opened in 2019 (the domain brief's 6000万 conversion fund): `/console/funds` opens it. */
export const DEFAULT_FUND_ID = 'conversion-2019';
