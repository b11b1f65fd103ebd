/** The GraphQL documents the dashboard sends: public API only, tested against the schema. */
const RATE = "numerator denominator value low95 high95";
const DURATION =
  "count censored meanSeconds medianSeconds p90Seconds survivalMedianSeconds survivalP90Seconds";

/** The integrations to pick from, and the newest incident: the default window ends there. */
export const DASHBOARD_INTEGRATIONS_QUERY = `query Integrations {
  integrations { id name }
  latest: incidents(first: 1, orderBy: [{ field: OPENED_AT, direction: DESC }]) { nodes { openedAt } }
}`;

export const DASHBOARD_DORA_QUERY = `query Dora($integrationId: ID, $from: DateTime!, $to: DateTime!, $bucket: TimeInterval, $timeZone: String) {
  dora(integrationId: $integrationId, from: $from, to: $to, bucket: $bucket, timeZone: $timeZone) {
    asOf deployments deploymentsPerWeek
    changeFailureRate { ${RATE} } reworkRate { ${RATE} }
    timeToRestore { ${DURATION} } failedDeploymentRecoveryTime { ${DURATION} }
    series { bucketStart deployments changeFailureRate { ${RATE} } timeToRestore { ${DURATION} } }
  }
}`;

export const DASHBOARD_COUNTS_QUERY = `query PriorityCounts($integrationId: ID, $filter: IncidentFilter, $bucket: TimeBucketInput) {
  incidentCounts(integrationId: $integrationId, filter: $filter, groupBy: [PRIORITY], bucket: $bucket) {
    keys { value label } bucketStart count
  }
}`;
