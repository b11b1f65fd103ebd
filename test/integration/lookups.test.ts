import { INTEGRATION_IDS, seedDataset, type SeededData, sysIdOf } from "../support/seed";
import { type GraphQLBody, startTestGateway, type TestGateway } from "../support/test-gateway";

const [A, B] = INTEGRATION_IDS;

const INCIDENT = `
  query Incident($integrationId: ID, $sysId: String, $number: String) {
    incident(integrationId: $integrationId, sysId: $sysId, number: $number) {
      integrationId sysId number shortDescription
    }
  }
`;
const CHANGE = `
  query Change($integrationId: ID, $sysId: String, $number: String) {
    changeRequest(integrationId: $integrationId, sysId: $sysId, number: $number) {
      integrationId sysId number
    }
  }
`;
const USER = `
  query User($integrationId: ID, $sysId: String, $userName: String) {
    user(integrationId: $integrationId, sysId: $sysId, userName: $userName) {
      integrationId sysId userName name
    }
  }
`;

type Found = Record<string, { integrationId: string; sysId: string } | null>;

describe("lookups: incident, changeRequest, user, integration", () => {
  let gateway: TestGateway;
  let data: SeededData;

  beforeAll(async () => {
    gateway = await startTestGateway();
    data = await seedDataset(gateway.gateway.dataSource, {
      incidents: 90,
      changeRequests: 30,
      usersPerIntegration: 12,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const lookup = async (
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ status: number; body: GraphQLBody<Found> }> =>
    gateway.graphql<Found>(query, variables);

  const expectBadInput = (body: GraphQLBody<Found>, field: string, message: RegExp) => {
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(body.errors![0].message).toMatch(message);
  };

  describe("incident", () => {
    const inIntegration = (integrationId: string) =>
      data.incidents.filter((row) => row.integrationId === integrationId);

    it("returns the incident when looked up by a sysId only one integration has, with or without integrationId", async () => {
      const target = inIntegration(A)[7];
      for (const integrationId of [null, A]) {
        const { body } = await lookup(INCIDENT, { sysId: target.sysId, integrationId });
        expect(body.errors).toBeUndefined();
        expect(body.data!.incident).toEqual({
          integrationId: A,
          sysId: target.sysId,
          number: target.number,
          shortDescription: target.shortDescription,
        });
      }
    });

    it("returns null when the sysId belongs to another integration than the one given", async () => {
      const target = inIntegration(A)[7];
      const { body } = await lookup(INCIDENT, { sysId: target.sysId, integrationId: B });
      expect(body.errors).toBeUndefined();
      expect(body.data!.incident).toBeNull();
    });

    it("returns the incident by number when only one integration has that number", async () => {
      const countB = inIntegration(B).length;
      const target = inIntegration(A)[countB + 3];
      expect(inIntegration(B).some((row) => row.number === target.number)).toBe(false);
      const { body } = await lookup(INCIDENT, { number: target.number });
      expect(body.data!.incident).toMatchObject({ integrationId: A, sysId: target.sysId });
    });

    it("answers BAD_USER_INPUT naming integrationId when a number or sysId exists in both integrations", async () => {
      const number = inIntegration(B)[4].number;
      expect(inIntegration(A).some((row) => row.number === number)).toBe(true);
      const byNumber = await lookup(INCIDENT, { number });
      expectBadInput(byNumber.body, "integrationId", /pass integrationId/);
      expect(byNumber.status).toBe(200);
      const shared = sysIdOf("incident", "shared", 0);
      const bySysId = await lookup(INCIDENT, { sysId: shared });
      expectBadInput(bySysId.body, "integrationId", /pass integrationId/);
    });

    it("returns the record of the integration given when a number or sysId exists in both", async () => {
      const number = inIntegration(B)[4].number;
      for (const integrationId of [A, B]) {
        const expected = inIntegration(integrationId).find((row) => row.number === number)!;
        const { body } = await lookup(INCIDENT, { number, integrationId });
        expect(body.data!.incident).toMatchObject({ integrationId, sysId: expected.sysId, number });
      }
      const shared = sysIdOf("incident", "shared", 0);
      const { body } = await lookup(INCIDENT, { sysId: shared, integrationId: B });
      expect(body.data!.incident).toMatchObject({ integrationId: B, sysId: shared });
    });

    it("returns null for an unknown sysId or number", async () => {
      for (const variables of [
        { sysId: sysIdOf("incident", "unknown", 1) },
        { number: "INC9999999" },
        { number: "INC9999999", integrationId: A },
      ]) {
        const { body } = await lookup(INCIDENT, variables);
        expect(body.errors).toBeUndefined();
        expect(body.data!.incident).toBeNull();
      }
    });

    it("answers BAD_USER_INPUT when neither or both of sysId and number are given", async () => {
      const target = inIntegration(A)[1];
      expectBadInput((await lookup(INCIDENT, {})).body, "sysId", /exactly one of sysId or number/);
      expectBadInput(
        (await lookup(INCIDENT, { sysId: target.sysId, number: target.number })).body,
        "number",
        /exactly one of sysId or number/,
      );
    });
  });

  describe("changeRequest", () => {
    const inIntegration = (integrationId: string) =>
      data.changeRequests.filter((row) => row.integrationId === integrationId);

    it("returns the change by sysId and by number, scoped or not", async () => {
      const target = inIntegration(B)[2];
      const bySysId = await lookup(CHANGE, { sysId: target.sysId });
      expect(bySysId.body.data!.changeRequest).toEqual({
        integrationId: B,
        sysId: target.sysId,
        number: target.number,
      });
      const byNumber = await lookup(CHANGE, { number: target.number, integrationId: B });
      expect(byNumber.body.data!.changeRequest).toMatchObject({ sysId: target.sysId });
      const onlyA = inIntegration(A).at(-1)!;
      const unscoped = await lookup(CHANGE, { number: onlyA.number });
      expect(unscoped.body.data!.changeRequest).toMatchObject({
        integrationId: A,
        sysId: onlyA.sysId,
      });
    });

    it("answers BAD_USER_INPUT naming integrationId for a number both integrations use", async () => {
      const { body } = await lookup(CHANGE, { number: inIntegration(B)[0].number });
      expectBadInput(body, "integrationId", /pass integrationId/);
    });

    it("returns null for an unknown change", async () => {
      const { body } = await lookup(CHANGE, { number: "CHG0000000" });
      expect(body.errors).toBeUndefined();
      expect(body.data!.changeRequest).toBeNull();
    });
  });

  describe("user", () => {
    it("returns the user by sysId and by userName", async () => {
      const target = data.users.find(
        (row) => row.integrationId === B && row.userName === "b.user0003",
      )!;
      const bySysId = await lookup(USER, { sysId: target.sysId });
      expect(bySysId.body.data!.user).toEqual({
        integrationId: B,
        sysId: target.sysId,
        userName: "b.user0003",
        name: target.name,
      });
      const byUserName = await lookup(USER, { userName: "b.user0003" });
      expect(byUserName.body.data!.user).toMatchObject({ sysId: target.sysId });
    });

    it("answers BAD_USER_INPUT naming integrationId for the admin user both instances share, and finds it with integrationId", async () => {
      expectBadInput(
        (await lookup(USER, { userName: "admin" })).body,
        "integrationId",
        /pass integrationId/,
      );
      const shared = sysIdOf("sys_user", "shared", 0);
      expectBadInput(
        (await lookup(USER, { sysId: shared })).body,
        "integrationId",
        /pass integrationId/,
      );
      for (const [index, integrationId] of [A, B].entries()) {
        const { body } = await lookup(USER, { userName: "admin", integrationId });
        expect(body.data!.user).toEqual({
          integrationId,
          sysId: shared,
          userName: "admin",
          name: `Admin ${"AB"[index]}`,
        });
      }
    });

    it("returns null for an unknown user, or a user of another integration", async () => {
      for (const variables of [
        { userName: "nobody" },
        { userName: "b.user0003", integrationId: A },
      ]) {
        const { body } = await lookup(USER, variables);
        expect(body.errors).toBeUndefined();
        expect(body.data!.user).toBeNull();
      }
    });

    it("answers BAD_USER_INPUT when neither or both of sysId and userName are given", async () => {
      expectBadInput((await lookup(USER, {})).body, "sysId", /exactly one of sysId or userName/);
      expectBadInput(
        (await lookup(USER, { sysId: data.users[1].sysId, userName: "x" })).body,
        "userName",
        /exactly one of sysId or userName/,
      );
    });
  });

  describe("integration and integrations", () => {
    it("returns every integration by name and one by id, null for an unknown id", async () => {
      const { body } = await gateway.graphql<{
        integrations: Array<{ id: string; name: string }>;
        one: { id: string; name: string; url: string } | null;
        unknown: { id: string } | null;
      }>(
        `query ($id: ID!, $unknown: ID!) {
          integrations { id name }
          one: integration(id: $id) { id name url }
          unknown: integration(id: $unknown) { id }
        }`,
        { id: B, unknown: "0a1b2c3d-0000-4000-8000-0000000000cc" },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        integrations: [
          { id: A, name: "Instance A" },
          { id: B, name: "Instance B" },
        ],
        one: { id: B, name: "Instance B", url: "https://instance-b.service-now.com" },
        unknown: null,
      });
    });
  });
});
