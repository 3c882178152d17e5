import { arrayOf, isFunction, isString, objectOf, type OptionRule } from '../model/options.js';

/** Checks shared by the renderers' options (see model/options.ts). */
export const SOURCES: OptionRule = objectOf('an object { base?, current } of strings', {
  base: isString,
  current: isString,
  baseParts: arrayOf('strings', (v) => typeof v === 'string'),
  currentParts: arrayOf('strings', (v) => typeof v === 'string'),
});
export const SOURCE_LIST: OptionRule = arrayOf('strings', (v) => typeof v === 'string');
export const STYLE: OptionRule = objectOf('a Style ({ growth, shrink, strong, dim } functions)', {
  growth: isFunction,
  shrink: isFunction,
  strong: isFunction,
  dim: isFunction,
}, true);
