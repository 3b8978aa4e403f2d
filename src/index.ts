/**
 * nnft: a lab for the physics of neural networks. The one public entry point; notebooks import
 * the built library (`../dist`) and nothing else of it. Each topic folder's index.ts lists what it
 * offers (the README's layout table maps folders to lecture sections; its glossary maps code names
 * to lecture symbols); internals (tfjs itself, the fused kernel's registry name, in-thread
 * measurement, raw parameter sampling) stay inside their folders.
 */
export * from './core';
export * from './statistics';
export * from './nets';
export * from './exact';
export * from './ensembles';
export * from './expressivity';
export * from './deep';
export * from './eft';
export * from './dynamics';
export * from './field-theory';
export * from './knots';
export * from './notebook';
