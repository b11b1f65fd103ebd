import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "Where to send a person to allow the gateway access in ServiceNow." })
export class OAuthAuthorization {
  @Field({ description: "ServiceNow's /oauth_auth.do URL; open it in a browser." })
  authorizationUrl: string;

  @Field({ description: "Single-use state bound to this authorization." })
  state: string;

  @Field(() => Date)
  expiresAt: Date;
}
