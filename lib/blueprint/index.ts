export * from './model';
export * from './derived';
export * from './parse';
export * from './reference';
export * from './rules';
export * from './schema';
export * from './tag-rules';
export type { BodyBound, SchemaProblem } from './json-schema';
export * from './cost-tags';
