/**
 * The report's stylesheet, inline: the file must open anywhere, offline. Colours come from
 * variables, so `prefers-color-scheme` switches the whole page; bars are never told apart by
 * colour alone (failures also carry ✗, waits a hatch, switch-backs ↩).
 */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --dim: #57606a; --line: #d0d7de; --ok: #1a7f37; --bad: #cf222e;
  --warn: #9a6700; --bar: #54aeff; --cmd: #0969da; --wait: #d0d7de; --band: #f6f8fa; --focus: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --dim: #8d96a0; --line: #30363d; --ok: #3fb950;
  --bad: #f85149; --warn: #d29922; --bar: #1f6feb; --cmd: #79c0ff; --wait: #30363d; --band: #161b22; --focus: #79c0ff; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; }
h1 { font-size: 1.35rem; margin: 0 0 .5rem; } h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
.result-ok { color: var(--ok); font-weight: 600; } .result-bad { color: var(--bad); font-weight: 600; } .result-warn { color: var(--warn); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { color: var(--dim); } dl.facts dd { margin: 0; }
.error { border-left: 4px solid var(--bad); padding: .25rem .75rem; margin: .75rem 0; }
ul.slow { margin: 0; padding-left: 1.2rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
.controls label { color: var(--dim); } .controls select, .controls input { background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 2px 4px; }
table.lanes { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.lanes th, table.lanes td { border-bottom: 1px solid var(--line); padding: 1px 6px; text-align: left; vertical-align: top; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 12px; }
table.lanes thead th { position: sticky; top: 0; background: var(--bg); z-index: 2; vertical-align: bottom; }
col.c-host { width: 15rem; } col.c-role { width: 8rem; } col.c-result { width: 9rem; } col.c-total { width: 5rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.track { position: relative; height: 14px; margin-top: 2px; background: var(--band); }
.axis { position: relative; height: 2.2rem; }
.axis span { position: absolute; bottom: 0; font-weight: normal; color: var(--dim); font-size: 11px; border-left: 1px solid var(--line); padding-left: 2px; white-space: nowrap; }
.barrier { position: absolute; top: 0; bottom: 0; border-left: 1px dashed var(--line); }
.bar { position: absolute; top: 1px; bottom: 1px; background: var(--bar); min-width: 1px; border-radius: 2px; }
.bar.failed { background: var(--bad); }
.wait { position: absolute; top: 5px; height: 4px; min-width: 1px; background: repeating-linear-gradient(90deg, var(--wait) 0 3px, transparent 3px 5px); }
.cmd { position: absolute; top: 4px; height: 6px; background: var(--cmd); min-width: 1px; opacity: .9; }
.mark { position: absolute; top: -3px; font-size: 12px; line-height: 1; transform: translateX(2px); }
.mark.bad { color: var(--bad); } .mark.back { color: var(--warn); }
details.host > summary { cursor: pointer; } details.host[open] { white-space: normal; }
table.cmds { border-collapse: collapse; margin: .25rem 0 .5rem; width: 100%; }
table.cmds td, table.cmds th { border: 0; padding: 1px 4px; font-size: 11px; white-space: pre-wrap; word-break: break-all; vertical-align: top; }
.legend span { margin-right: 1rem; } .legend i { display: inline-block; width: 1.4rem; height: .7rem; vertical-align: middle; margin-right: .3rem; position: relative; }
.hidden { display: none; }
.js-only { display: none; } .has-js .js-only { display: flex; }
@media print { .controls { display: none !important; } thead th { position: static; } body { padding: 0; }
  .bar, .cmd, .wait { print-color-adjust: exact; -webkit-print-color-adjust: exact; } tr { break-inside: avoid; } }
`;
// An open host's commands spread over the whole row, under its (top-aligned) cells.
export const DETAILS_STYLE = `
table.lanes td:first-child { overflow: visible; }
details.host[open] > div, details.host[open] > table { position: relative; z-index: 1; width: calc(100vw - 4rem); background: var(--bg); }
`;
