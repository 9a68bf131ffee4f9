export * from './awards.js';
export * from './dates.js';
export * from './money.js';
export * from './payslip.js';
export * from './penalties.js';
export * from './policy.js';
export * from './score.js';
