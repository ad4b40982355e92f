import test from "ava";
import { Console } from "../../modules/console/console.js";
import { Counters } from "../../modules/counters.js";
import type { ConsolePort } from "../../modules/platform.js";

/** A terminal on the other end of the console: it records what the node writes. */
function terminal() {
  let receive: (bytes: Uint8Array) => void = () => {};
  const port: ConsolePort & { screen: string } = {
    interactive: true,
    screen: "",
    onReceive: (receiver) => (receive = receiver),
    write(text) {
      this.screen += text;
    },
  };
  const type = (text: string) => receive(new TextEncoder().encode(text));
  return { port, type };
}

test("a log line while the technician types clears the prompt line, prints, and redraws the typed text", (t) => {
  const { port, type } = terminal();
  const console = new Console(port, new Counters());
  console.start();
  type("sta");
  port.screen = "";
  console.interject(() => port.write("[1.000] INFO mqtt: connected\r\n"));
  t.is(port.screen, "\r\x1b[K[1.000] INFO mqtt: connected\r\n> sta");
});

test("while a reply is being written, an interjected line is written as it is", (t) => {
  const { port } = terminal();
  const console = new Console(port, new Counters());
  console.register({
    name: "slow",
    summary: "logs in the middle of its reply",
    usage: "",
    run(_args, reply) {
      reply("first");
      console.interject(() => port.write("LOG\r\n"));
      reply("second");
    },
  });
  console.start();
  port.screen = "";
  void console.execute("slow");
  t.is(port.screen, "first\r\nLOG\r\nsecond\r\nOK\r\n");
});

test("print() of an event keeps the prompt intact on a terminal", (t) => {
  const { port, type } = terminal();
  const console = new Console(port, new Counters());
  console.start();
  type("he");
  port.screen = "";
  console.print("EVENT config: restored");
  t.is(port.screen, "\r\x1b[KEVENT config: restored\r\n> he");
});
