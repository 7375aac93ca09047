export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const min = (values) => Math.min(...values);
const max = (values) => Math.max(...values);

/** median, min, max and the raw values of a list of milliseconds. */
export function summarize(values) {
  return { median: median(values), min: values.length ? min(values) : NaN, max: values.length ? max(values) : NaN, n: values.length, values };
}

export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
