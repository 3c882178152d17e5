/**
 * Pure numeric helpers for error bars and significance. No profile types: fleet sides (n, mean,
 * sd per site), the sampling model of one profile and store queries all feed the same functions.
 */
export { erfc, normalCdf, normalQuantile, normalTwoSidedP } from './normal.js';
export { logGamma, gammaP, gammaQ, gammaQuantile, chiSquareCdf, chiSquareQuantile } from './gamma.js';
export { regularizedBeta, studentTCdf, studentTQuantile, studentTTwoSidedP } from './student-t.js';
export { poissonInterval, poissonUpperBound } from './poisson.js';
export { benjaminiHochberg, type FdrResult } from './fdr.js';
export { testDifference, welchDf, criticalValue, type Estimate, type DifferenceTest } from './difference.js';
