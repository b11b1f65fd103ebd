import type { AuthChecker } from "type-graphql";

import type { GraphQLContext, Role } from "./context.type";

/** `@Authorized("admin")` guards mutations; every query already needs a valid token. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) =>
  roles.length === 0 || roles.includes(context.caller.role);
