/** What issue 18 asks of the pipeline on the local cloud (1,000 leads, 20 clients). */
export const PIPELINE_TARGETS = {
  leadsPerSecond: 100,
  saturatedP99Ms: 5_000,
  pacedP99Ms: 100,
  cancelledPerLead: 0.2,
} as const;
