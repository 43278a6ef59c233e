/** @module bench/jobs/noop — allocates N MB and burns a little CPU; checks the harness's measurements. */
const mb = Number(process.argv[2] ?? "50");
const buffers: Buffer[] = [];
for (let i = 0; i < mb; i++) buffers.push(Buffer.alloc(1024 * 1024, i & 0xff));
let sum = 0;
for (const b of buffers) for (let i = 0; i < b.length; i += 4096) sum += b[i]!;
console.log(JSON.stringify({ mb, sum }));
