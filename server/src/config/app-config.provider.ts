/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the merge is the point: one shape, one DI token */
import type { AppConfig as Shape } from './config.js';

/**
 * The validated configuration as an injectable token: an abstract class gives DI a runtime
 * token and services a typed view, without a second copy of the shape.
 */
export abstract class AppConfig {}
export interface AppConfig extends Shape {}
