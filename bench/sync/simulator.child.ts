import { createSimulator } from "../../src/simulator";
import { runChild, serveParent } from "../support/child-process";
import {
  SIM_PASSWORD,
  SIM_USER,
  type SimulatorReady,
  type SimulatorSizes,
} from "./sync-bench.types";

/**
 * The ServiceNow simulator with a generated dataset, in its own process so that neither its
 * CPU nor its memory counts against the process that downloads or syncs.
 * argv: <SimulatorSizes as JSON>
 */
runChild(async () => {
  const sizes = JSON.parse(process.argv[2]) as SimulatorSizes;
  // A small request log: the default 10,000 entries would only cost memory here.
  const simulator = createSimulator({ requestLogLimit: 100 });
  simulator.addUser({
    userName: SIM_USER,
    password: SIM_PASSWORD,
    timeZone: "UTC",
    webServiceAccessOnly: true,
  });
  const summary = simulator.generate({
    seed: 7,
    incidents: sizes.incidents,
    changes: sizes.changes,
    users: sizes.users,
    groups: sizes.groups,
  });
  const { url } = await simulator.start();
  const ready: SimulatorReady = { url, counts: summary.counts };
  serveParent(
    ready,
    {
      /** Updates every n-th incident (a share of them): their sys_updated_on moves to now. */
      updateIncidents: (input) => {
        const share = input as number;
        const incidents = simulator.all("incident");
        const every = Math.max(1, Math.round(1 / share));
        let updated = 0;
        for (let index = 0; index < incidents.length; index += every) {
          simulator.update("incident", incidents[index].sys_id, {
            short_description: `${incidents[index].short_description} (updated)`,
          });
          updated += 1;
        }
        return updated;
      },
      /**
       * The instance's clock this many ms ahead of ours from now on: what a run just read as
       * "now" is then settled, as it is a minute later on a real instance.
       */
      clockAhead: (input) => {
        const aheadMs = input as number;
        simulator.setClock(() => new Date(Date.now() + aheadMs));
        return null;
      },
      /** Table API requests served per table since the last call (then reset). */
      tableRequests: () => {
        const counts = simulator.tableRequestCounts();
        simulator.resetTableRequestCounts();
        return counts;
      },
    },
    () => simulator.stop(),
  );
});
