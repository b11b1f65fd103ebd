import type { AuthChecker } from "type-graphql";

import { GatewayError } from "../common/gateway.error";
import type { GraphQLContext, Role } from "./context.type";

/**
 * `@Authorized("admin")` guards mutations; every query already needs a valid token. A refusal
 * names the roles that would do, so a writer token calling an admin mutation knows why.
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  if (roles.length === 0 || roles.includes(context.caller.role)) {
    return true;
  }
  throw new GatewayError("FORBIDDEN", `This operation needs the ${roles.join(" or ")} role.`);
};
