import { ArgsType, Field, Int } from "type-graphql";

import { GatewayError } from "../../common/gateway.error";

export const MAX_UPDATES = 100;
const ELEMENTS = ["comments", "work_notes"];

/**
 * Arguments of `updates` on every incident and change of a page. Checked by hand rather than by
 * class-validator: this field resolves once per row, and validation per row is measurable.
 */
@ArgsType()
export class UpdatesArgs {
  @Field(() => Int, {
    defaultValue: 20,
    description: `Latest entries, newest first (1 to ${MAX_UPDATES}).`,
  })
  first: number;

  @Field(() => String, { nullable: true, description: "comments or work_notes; both if omitted." })
  element?: string | null;
}

export function checkUpdatesArgs(args: UpdatesArgs): void {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_UPDATES) {
    throw GatewayError.badInput("first", `first must be between 1 and ${MAX_UPDATES}`);
  }
  if (args.element !== null && args.element !== undefined && !ELEMENTS.includes(args.element)) {
    throw GatewayError.badInput("element", "element must be comments or work_notes");
  }
}
