// Reads {secret, headers, body} as JSON on stdin (body: the raw request body, base64) and verifies it with the
// standardwebhooks package. Prints "verified" and exits 0, or prints why and exits 1.
import { Webhook } from "standardwebhooks";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const body = Buffer.from(input.body, "base64").toString("utf8");
try {
  new Webhook(input.secret).verify(body, input.headers);
  console.log("verified");
} catch (error) {
  console.log(`refused: ${error.message}`);
  process.exit(1);
}
