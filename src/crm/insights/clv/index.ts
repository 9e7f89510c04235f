/** Value models: BG/NBD purchase model, Gamma-Gamma spend model, CLV, and their inputs. */
export * from './bgnbd.ts';
export * from './gamma-gamma.ts';
export * from './summary.ts';
export * from './transactions.ts';
export * from './rfm-data.ts';
export * from './stats.ts';
export * from './score.ts';
export { nelderMead, minimizePositive, type MinimizeOptions, type MinimizeResult } from './optimize.ts';
export { lgamma, lbeta, hyp2f1 } from './special.ts';
export * from './pareto-nbd.ts';
export * from './mbg-nbd.ts';
export * from './bg-bb.ts';
export * from './sbg.ts';
