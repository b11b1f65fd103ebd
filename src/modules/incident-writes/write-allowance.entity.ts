import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * Transactions used per integration and UTC day, shared by every replica: a write reserves one
 * with a conditional `UPDATE … SET used = used + 1 WHERE used < cap` before anything is sent.
 */
@Entity("write_allowance")
export class WriteAllowance {
  @PrimaryColumn({ type: "varchar", length: 36 })
  integrationId: string;

  /** `YYYY-MM-DD`, UTC. */
  @PrimaryColumn({ type: "varchar", length: 10 })
  day: string;

  @Column({ type: "integer", default: 0 })
  used: number;
}
