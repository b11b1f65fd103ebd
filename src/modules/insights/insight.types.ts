import { GraphQLDateTime } from "graphql-scalars";
import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({
  description: "One group key of a count: the dimension, its raw value and its label.",
})
export class GroupKey {
  @Field({ description: "The dimension's enum name, e.g. PRIORITY." })
  dimension: string;

  @Field(() => String, { nullable: true, description: "The raw value; null when empty." })
  value: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The choice label, or the referenced record's name; null when unknown or when the reference points to nothing cached.",
  })
  label: string | null;
}

@ObjectType({ description: "How many records share these keys (and this time bucket)." })
export class CountGroup {
  @Field(() => [GroupKey], { description: "One key per groupBy dimension, in that order." })
  keys: GroupKey[];

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: "The bucket's start (null without a bucket, or for records without that date).",
  })
  bucketStart: Date | null;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: "numerator ÷ denominator with its Wilson score 95% interval." })
export class Rate {
  @Field(() => Int)
  numerator: number;

  @Field(() => Int)
  denominator: number;

  @Field(() => Float, { nullable: true, description: "null when the denominator is 0." })
  value: number | null;

  @Field(() => Float, { nullable: true })
  low95: number | null;

  @Field(() => Float, { nullable: true })
  high95: number | null;
}

@ObjectType({
  description:
    "Durations, right-censored where still open: mean, median and p90 (nearest rank) over the finished ones; survival quantiles (Kaplan–Meier) over all.",
})
export class DurationStats {
  @Field(() => Int, { description: "All observations, censored included." })
  count: number;

  @Field(() => Int, { description: "Observations still open (censored at asOf)." })
  censored: number;

  @Field(() => Float, { nullable: true })
  meanSeconds: number | null;

  @Field(() => Float, { nullable: true })
  medianSeconds: number | null;

  @Field(() => Float, { nullable: true })
  p90Seconds: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Smallest event time at which S(t) ≤ 0.5; null when the curve never falls that far.",
  })
  survivalMedianSeconds: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Smallest event time at which S(t) ≤ 0.1; null when the curve never falls that far.",
  })
  survivalP90Seconds: number | null;
}

@ObjectType({ description: "One bucket of the DORA series." })
export class DoraPoint {
  @Field(() => GraphQLDateTime, { description: "The bucket's start, clipped to the window." })
  bucketStart: Date;

  @Field(() => Int)
  deployments: number;

  @Field(() => Rate)
  changeFailureRate: Rate;

  @Field(() => DurationStats, { description: "Over incidents opened in this bucket." })
  timeToRestore: DurationStats;
}

@ObjectType({ description: "DORA metrics over [from, to) from linked incidents and changes." })
export class DoraReport {
  @Field(() => GraphQLDateTime)
  from: Date;

  @Field(() => GraphQLDateTime)
  to: Date;

  @Field(() => GraphQLDateTime, {
    description:
      "The oldest lastSyncedAt of the integrations covered: open incidents are censored here.",
  })
  asOf: Date;

  @Field(() => Int, {
    description: "Closed changes whose closed_at (else work_end, end_date) is in the window.",
  })
  deployments: number;

  @Field(() => Float)
  deploymentsPerWeek: number;

  @Field(() => Rate, {
    description:
      "Deployments that caused an incident (caused_by) or closed unsuccessful, ÷ deployments.",
  })
  changeFailureRate: Rate;

  @Field(() => Rate, { description: "Deployments that are an incident's rfc, ÷ deployments." })
  reworkRate: Rate;

  @Field(() => DurationStats, {
    description:
      "Incidents opened in the window (canceled ones left out): opened → resolved (else closed).",
  })
  timeToRestore: DurationStats;

  @Field(() => DurationStats, {
    description:
      "Failed deployments that caused incidents: deployment → the latest resolution among them.",
  })
  failedDeploymentRecoveryTime: DurationStats;

  @Field(() => [DoraPoint], {
    description: "Every bucket overlapping the window; empty without bucket.",
  })
  series: DoraPoint[];
}
