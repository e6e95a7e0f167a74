// Runs a wasm32-wasip1 program under Node's WASI (Node 20+).
//
//   node --no-warnings crates/engine/benches/run-wasi.mjs path/to/program.wasm [args...]
//
// The program sees the current directory as "/" (read-only use only), its own args and
// the environment. After it exits, one extra line reports the wasm linear memory size,
// the closest WASI analogue of peak RSS (linear memory only grows), and the peak RSS of the
// whole Node process (engine, JIT and all):
//   WASM_MEMORY {"bytes":N,"mib":M,"node_max_rss_mib":R}
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
import process, { argv, env, exit } from "node:process";

const [, , wasmPath, ...args] = argv;
if (!wasmPath) {
  console.error("usage: node --no-warnings run-wasi.mjs program.wasm [args...]");
  exit(2);
}

const wasi = new WASI({
  version: "preview1",
  args: [wasmPath, ...args],
  env,
  preopens: { "/": "." },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const code = wasi.start(instance);
const bytes = instance.exports.memory.buffer.byteLength;
const nodeMaxRssMib = (process.resourceUsage().maxRSS / 1024).toFixed(1);
console.log(
  `WASM_MEMORY {"bytes":${bytes},"mib":${(bytes / 1048576).toFixed(1)},"node_max_rss_mib":${nodeMaxRssMib}}`,
);
exit(code ?? 0);
