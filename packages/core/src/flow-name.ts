/** The flows a run can be: what `ctx.flow` and a run's summary name. */
export type FlowName = "deploy" | "rollback" | "restart" | "once" | "status" | "task" | "mark-bad" | "unlock";
