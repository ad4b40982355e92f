import test from "ava";
import DigitalInput from "../../../modules/io/drivers/digital-input.js";
import { ContactModel } from "../../../modules/io/models/contact-model.js";
import { placeContact, simulatedBoard } from "../../../modules/io/models/index.js";
import { FakeTimers } from "../../helpers/fake-timers.js";

test("bounce: after a change the contact chatters for bounceMs, then holds", (t) => {
  const time = new FakeTimers();
  const machine = { on: 0 };
  const contact = new ContactModel(() => time.monotonic(), () => machine.on);
  contact.faults.bounceMs = 4;
  t.is(contact.read(), 0);
  machine.on = 1;
  const seen: number[] = [];
  for (let ms = 0; ms < 6; ms++) {
    seen.push(contact.read());
    time.advance(1);
  }
  t.deepEqual(seen, [0, 1, 0, 1, 1, 1]);
  contact.faults.stuck = 0;
  t.is(contact.read(), 0);
});

test("a bouncing contact on the simulated board is debounced by the digital input: one transition per change", (t) => {
  const time = new FakeTimers();
  const board = simulatedBoard(() => time.monotonic());
  const machine = { on: 0 };
  const contact = placeContact(board, 26, () => machine.on);
  contact.faults.bounceMs = 30;
  const input = new DigitalInput({ sensor: { io: board.io.Digital, pin: 26 }, now: () => time.monotonic(), timers: time });
  input.configure({ debounceMs: 50, pollMs: 1 });
  for (let cycle = 0; cycle < 5; cycle++) {
    machine.on = 1;
    time.advance(500);
    machine.on = 0;
    time.advance(500);
  }
  t.is(input.sample().transitions.value, 10);
  contact.faults.stuck = 1;
  machine.on = 1;
  time.advance(500);
  machine.on = 0;
  time.advance(500);
  t.is(input.sample().transitions.value, 11, "stuck at 1: one change, then nothing follows the machine");
});
