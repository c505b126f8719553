// The web client's upload rate, measured in Chromium: the page's own tus code (/static/js/tus.js) sends a
// file of SIZE MiB, made in the page from 1 MiB of random bytes repeated, from alice to bob.
// Prints one JSON object: bytes, seconds, MB/s. Needs playwright-core (npm; no browser download)
// and /usr/bin/chromium. Usage, see bench/web-upload-chromium.sh.
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [server, token, sizeMiB] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.goto(server);
    const result = await page.evaluate(async ({ token, sizeMiB }) => {
      const { Upload } = await import("/static/js/tus.js");
      const random = new Uint8Array(1 << 20);
      for (let i = 0; i < random.length; i += 65536) {
        crypto.getRandomValues(random.subarray(i, i + 65536));
      }
      const file = new File(Array(Number(sizeMiB)).fill(random), "web-bench.bin", { type: "application/octet-stream" });
      const started = performance.now();
      const state = await new Promise((resolve) => {
        new Upload({ token, me: "alice", to: "bob", file, onProgress: () => {}, onState: (s, error) => {
          if (s === "done" || s === "failed") resolve(error ? `${s}: ${error}` : s);
        } }).start();
      });
      const seconds = (performance.now() - started) / 1000;
      return { state, bytes: file.size, seconds, MBps: file.size / seconds / 1e6 };
    }, { token, sizeMiB });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})();
