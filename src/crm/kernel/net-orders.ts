/**
 * How refunds enter the figures: an order counts for what is left of it (amount − refunded),
 * and a fully refunded order counts nowhere (not a purchase, not a visit, not a conversion).
 * The SQL snippets take the orders table's alias, so every reader of orders says it the same way.
 * In the kernel (not in sales) because contexts that must not import sales read orders too
 * (customers' duplicates list counts a member's orders net of refunds).
 */

/** The order still counts (not fully refunded); `o` is the alias of orders ('' for none). */
export const countedOrder = (o = ''): string => {
  const p = o ? `${o}.` : '';
  return `(${p}refunded_amount = 0 OR ${p}refunded_amount < ${p}amount)`;
};

/** What is left of the order's amount after its refunds (DECIMAL). */
export const netAmount = (o = ''): string => {
  const p = o ? `${o}.` : '';
  return `(${p}amount - ${p}refunded_amount)`;
};
