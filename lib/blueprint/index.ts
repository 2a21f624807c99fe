export * from './model';
export * from './derived';
export * from './parse';
export * from './reference';
export * from './rules';
export * from './schema';
export * from './tag-rules';
