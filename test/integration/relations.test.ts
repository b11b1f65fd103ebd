import type { Approval } from "../../src/modules/approvals/approval.entity";
import type { ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { Incident } from "../../src/modules/incidents/incident.entity";
import type { JournalEntry } from "../../src/modules/journal-entries/journal-entry.entity";
import type { UserGroup } from "../../src/modules/user-groups/user-group.entity";
import type { User } from "../../src/modules/users/user.entity";
import { type DatabaseKind, databaseKindOf, recordKey, sortRows } from "../support/expected-order";
import { INTEGRATION_IDS, seedDataset, type SeededData, sysIdOf } from "../support/seed";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const [A, B] = INTEGRATION_IDS;

interface Ref {
  integrationId: string;
  sysId: string;
}
interface UserRef extends Ref {
  name: string | null;
}

const USER_FIELDS = "integrationId sysId name";

const INCIDENTS = `
  query Incidents {
    incidents(first: 500) {
      nodes {
        integrationId sysId
        assignedTo { ${USER_FIELDS} }
        caller { ${USER_FIELDS} }
        openedBy { ${USER_FIELDS} }
        resolvedBy { ${USER_FIELDS} }
        closedBy { ${USER_FIELDS} }
        assignmentGroup { integrationId sysId name manager { ${USER_FIELDS} } integration { id } }
        causedBy { integrationId sysId number }
        rfc { integrationId sysId number }
        approvals { integrationId sysId state documentSysId approver { ${USER_FIELDS} } }
        latest: updates(first: 2) { sysId element }
        workNotes: updates(element: "work_notes") { sysId element }
        comments: updates(first: 1, element: "comments") { sysId element }
        updates { sysId elementSysId tableName element value createdBy }
        integration { id name lastSyncedAt lastSyncRun { id status startedAt error errorCode } }
      }
    }
  }
`;

interface IncidentNode extends Ref {
  assignedTo: UserRef | null;
  caller: UserRef | null;
  openedBy: UserRef | null;
  resolvedBy: UserRef | null;
  closedBy: UserRef | null;
  assignmentGroup:
    (Ref & { name: string | null; manager: UserRef | null; integration: { id: string } }) | null;
  causedBy: (Ref & { number: string | null }) | null;
  rfc: (Ref & { number: string | null }) | null;
  approvals: Array<Ref & { state: string | null; documentSysId: string; approver: UserRef | null }>;
  latest: Array<{ sysId: string; element: string }>;
  workNotes: Array<{ sysId: string; element: string }>;
  comments: Array<{ sysId: string; element: string }>;
  updates: Array<{
    sysId: string;
    elementSysId: string;
    tableName: string;
    element: string;
    value: string | null;
    createdBy: string | null;
  }>;
  integration: {
    id: string;
    name: string;
    lastSyncedAt: string | null;
    lastSyncRun: {
      id: string;
      status: string;
      startedAt: string;
      error: string | null;
      errorCode: string | null;
    } | null;
  };
}

describe("relations: every link resolves to the record of the same integration", () => {
  let gateway: TestGateway;
  let data: SeededData;
  let kind: DatabaseKind;
  let dangling: Incident;

  beforeAll(async () => {
    gateway = await startTestGateway();
    data = await seedDataset(gateway.gateway.dataSource, {
      incidents: 240,
      changeRequests: 45,
      usersPerIntegration: 20,
      journalPerRecordMax: 6,
      incidentApprovalRatio: 0.4,
      seed: 99,
    });
    kind = databaseKindOf(gateway.gateway.dataSource);
    // References to records that were never ingested (or live in the other integration).
    const repository = gateway.gateway.dataSource.getRepository(Incident);
    const { id: _id, ...template } = data.incidents.find((row) => row.integrationId === B)!;
    dangling = await repository.save(
      repository.create({
        ...template,
        sysId: sysIdOf("incident", "dangling", 0),
        number: "INC8000000",
        assignedToSysId: sysIdOf("sys_user", "missing", 0),
        callerSysId: data.users.find((row) => row.integrationId === A && row.userName !== "admin")!
          .sysId,
        assignmentGroupSysId: sysIdOf("sys_user_group", "missing", 0),
        causedBySysId: data.changeRequests.find((row) => row.integrationId === A)!.sysId,
        rfcSysId: sysIdOf("change_request", "missing", 0),
      }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const find = <T extends Ref>(rows: readonly T[], integrationId: string, sysId: string | null) =>
    sysId === null
      ? null
      : (rows.find((row) => row.integrationId === integrationId && row.sysId === sysId) ?? null);
  const userRef = (integrationId: string, sysId: string | null): UserRef | null => {
    const user = find<User>(data.users, integrationId, sysId);
    return user ? { integrationId, sysId: user.sysId, name: user.name } : null;
  };
  const journalOf = (record: Ref): JournalEntry[] =>
    sortRows(
      data.journalEntries.filter(
        (entry) =>
          entry.integrationId === record.integrationId && entry.elementSysId === record.sysId,
      ),
      [{ value: (entry) => entry.sysCreatedOn, direction: "DESC" }],
      kind,
    );
  const approvalsOf = (record: Ref): Approval[] =>
    sortRows(
      data.approvals.filter(
        (approval) =>
          approval.integrationId === record.integrationId &&
          approval.documentSysId === record.sysId,
      ),
      [{ value: (approval) => approval.sysCreatedOn, direction: "ASC" }],
      kind,
    );

  describe("Incident", () => {
    let nodes: IncidentNode[];

    beforeAll(async () => {
      const { body } = await gateway.graphql<{ incidents: { nodes: IncidentNode[] } }>(INCIDENTS);
      expect(body.errors).toBeUndefined();
      nodes = body.data!.incidents.nodes;
      expect(nodes).toHaveLength(data.incidents.length + 1);
    });

    const seeded = (node: Ref): Incident =>
      node.sysId === dangling.sysId
        ? dangling
        : find(data.incidents, node.integrationId, node.sysId)!;

    it("returns assignedTo, caller, openedBy, resolvedBy and closedBy from the incident's own integration", () => {
      for (const node of nodes) {
        const incident = seeded(node);
        expect({
          assignedTo: node.assignedTo,
          caller: node.caller,
          openedBy: node.openedBy,
          resolvedBy: node.resolvedBy,
          closedBy: node.closedBy,
        }).toEqual({
          assignedTo: userRef(node.integrationId, incident.assignedToSysId),
          caller: userRef(node.integrationId, incident.callerSysId),
          openedBy: userRef(node.integrationId, incident.openedBySysId),
          resolvedBy: userRef(node.integrationId, incident.resolvedBySysId),
          closedBy: userRef(node.integrationId, incident.closedBySysId),
        });
      }
      // The admin user shares its sys_id across instances: each side sees its own copy.
      const adminNames = new Set(
        nodes
          .filter((node) => node.assignedTo?.sysId === sysIdOf("sys_user", "shared", 0))
          .map((node) => `${node.integrationId}:${node.assignedTo!.name}`),
      );
      expect(adminNames).toEqual(new Set([`${A}:Admin A`, `${B}:Admin B`]));
    });

    it("returns the assignment group with its manager and integration", () => {
      let withGroup = 0;
      for (const node of nodes) {
        const group = find<UserGroup>(
          data.groups,
          node.integrationId,
          seeded(node).assignmentGroupSysId,
        );
        if (group) {
          withGroup += 1;
        }
        expect(node.assignmentGroup).toEqual(
          group && {
            integrationId: node.integrationId,
            sysId: group.sysId,
            name: group.name,
            manager: userRef(node.integrationId, group.managerSysId),
            integration: { id: node.integrationId },
          },
        );
      }
      expect(withGroup).toBeGreaterThan(nodes.length / 2);
    });

    it("returns causedBy and rfc changes of the same integration", () => {
      let linked = 0;
      for (const node of nodes) {
        const incident = seeded(node);
        const change = (sysId: string | null) => {
          const row = find<ChangeRequest>(data.changeRequests, node.integrationId, sysId);
          return row && { integrationId: row.integrationId, sysId: row.sysId, number: row.number };
        };
        expect(node.causedBy).toEqual(change(incident.causedBySysId));
        expect(node.rfc).toEqual(change(incident.rfcSysId));
        linked += node.causedBy ? 1 : 0;
      }
      expect(linked).toBeGreaterThan(5);
    });

    it("returns null for references to records never ingested or held by another integration", () => {
      const node = nodes.find((candidate) => candidate.sysId === dangling.sysId)!;
      expect(node).toMatchObject({
        assignedTo: null,
        caller: null,
        assignmentGroup: null,
        causedBy: null,
        rfc: null,
      });
    });

    it("returns approvals oldest first, each with its approver", () => {
      let withApprovals = 0;
      for (const node of nodes) {
        const expected = approvalsOf(node).map((approval) => ({
          integrationId: node.integrationId,
          sysId: approval.sysId,
          state: approval.state,
          documentSysId: node.sysId,
          approver: userRef(node.integrationId, approval.approverSysId),
        }));
        expect(node.approvals).toEqual(expected);
        withApprovals += expected.length > 1 ? 1 : 0;
      }
      expect(withApprovals).toBeGreaterThan(5);
    });

    it("returns updates newest first: 20 by default, `first` latest, and only the `element` asked for", () => {
      let trimmed = 0;
      for (const node of nodes) {
        const entries = journalOf(node);
        expect(node.updates).toEqual(
          entries.slice(0, 20).map((entry) => ({
            sysId: entry.sysId,
            elementSysId: node.sysId,
            tableName: "incident",
            element: entry.element,
            value: entry.value,
            createdBy: entry.createdBy,
          })),
        );
        const brief = (list: JournalEntry[]) =>
          list.map((entry) => ({ sysId: entry.sysId, element: entry.element }));
        expect(node.latest).toEqual(brief(entries.slice(0, 2)));
        expect(node.workNotes).toEqual(
          brief(entries.filter((entry) => entry.element === "work_notes")),
        );
        expect(node.comments).toEqual(
          brief(entries.filter((entry) => entry.element === "comments").slice(0, 1)),
        );
        trimmed += entries.length > 2 ? 1 : 0;
      }
      expect(trimmed).toBeGreaterThan(10);
    });

    it("returns the integration with its most recent sync run (null when it never ran)", () => {
      const latest = [...data.syncRuns].sort(
        (x, y) => y.startedAt.getTime() - x.startedAt.getTime(),
      )[0];
      for (const node of nodes) {
        const integration = data.integrations.find((row) => row.id === node.integrationId)!;
        expect(node.integration).toEqual({
          id: integration.id,
          name: integration.name,
          lastSyncedAt: integration.lastSyncedAt?.toISOString() ?? null,
          lastSyncRun:
            node.integrationId === A
              ? {
                  id: latest.id,
                  status: latest.status,
                  startedAt: latest.startedAt.toISOString(),
                  error: latest.error,
                  errorCode: latest.errorCode,
                }
              : null,
        });
      }
      expect(latest.id).not.toBe(data.syncRuns.at(-1)!.id);
    });
  });

  describe("ChangeRequest", () => {
    it("returns assignee, requester, group, approvals with approvers, updates and caused incidents", async () => {
      const { body } = await gateway.graphql<{
        changeRequests: {
          nodes: Array<
            Ref & {
              assignedTo: UserRef | null;
              requestedBy: UserRef | null;
              assignmentGroup: Ref | null;
              approvals: Array<{ sysId: string; approver: UserRef | null }>;
              updates: Array<{ sysId: string }>;
              causedIncidents: Ref[];
              integration: { id: string };
            }
          >;
        };
      }>(`query {
        changeRequests(first: 500) {
          nodes {
            integrationId sysId
            assignedTo { ${USER_FIELDS} }
            requestedBy { ${USER_FIELDS} }
            assignmentGroup { integrationId sysId }
            approvals { sysId approver { ${USER_FIELDS} } }
            updates(first: 1) { sysId }
            causedIncidents { integrationId sysId }
            integration { id }
          }
        }
      }`);
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.changeRequests.nodes;
      expect(nodes).toHaveLength(data.changeRequests.length);
      let causing = 0;
      for (const node of nodes) {
        const change = find(data.changeRequests, node.integrationId, node.sysId)!;
        const group = find<UserGroup>(data.groups, node.integrationId, change.assignmentGroupSysId);
        const caused = sortRows(
          data.incidents.filter(
            (incident) =>
              incident.integrationId === node.integrationId &&
              incident.causedBySysId === node.sysId,
          ),
          [{ value: (incident) => incident.openedAt, direction: "ASC" }],
          kind,
        );
        causing += caused.length > 1 ? 1 : 0;
        expect(node).toEqual({
          integrationId: node.integrationId,
          sysId: change.sysId,
          assignedTo: userRef(node.integrationId, change.assignedToSysId),
          requestedBy: userRef(node.integrationId, change.requestedBySysId),
          assignmentGroup: group && { integrationId: node.integrationId, sysId: group.sysId },
          approvals: approvalsOf(node).map((approval) => ({
            sysId: approval.sysId,
            approver: userRef(node.integrationId, approval.approverSysId),
          })),
          updates: journalOf(node)
            .slice(0, 1)
            .map((entry) => ({ sysId: entry.sysId })),
          causedIncidents: caused.map((incident) => ({
            integrationId: incident.integrationId,
            sysId: incident.sysId,
          })),
          integration: { id: node.integrationId },
        });
      }
      expect(causing).toBeGreaterThan(2);
    });
  });

  describe("User", () => {
    it("returns each user's manager and integration", async () => {
      const { body } = await gateway.graphql<{
        users: { nodes: Array<UserRef & { manager: UserRef | null; integration: { id: string } }> };
      }>(
        `query { users(first: 500) { nodes { ${USER_FIELDS} manager { ${USER_FIELDS} } integration { id } } } }`,
      );
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.users.nodes;
      expect(nodes.map(recordKey).sort()).toEqual(data.users.map(recordKey).sort());
      for (const node of nodes) {
        const user = find(data.users, node.integrationId, node.sysId)!;
        expect(node.manager).toEqual(userRef(node.integrationId, user.managerSysId));
        expect(node.integration).toEqual({ id: node.integrationId });
      }
      expect(nodes.filter((node) => node.manager !== null).length).toBeGreaterThan(10);
    });
  });

  describe("syncRuns", () => {
    it("returns an integration's runs newest first", async () => {
      const { body } = await gateway.graphql<{
        a: { nodes: Array<{ id: string }>; totalCount: number };
        b: { nodes: Array<{ id: string }>; totalCount: number };
      }>(
        `query ($a: ID, $b: ID) {
          a: syncRuns(integrationId: $a) { nodes { id } totalCount }
          b: syncRuns(integrationId: $b) { nodes { id } totalCount }
        }`,
        { a: A, b: B },
      );
      expect(body.errors).toBeUndefined();
      const expected = [...data.syncRuns]
        .sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime())
        .map((run) => ({ id: run.id }));
      expect(body.data).toEqual({
        a: { nodes: expected, totalCount: 3 },
        b: { nodes: [], totalCount: 0 },
      });
    });
  });
});
