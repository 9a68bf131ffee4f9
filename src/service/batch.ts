// Requests that arrive together ask the database the same kind of question: fifty agents typing
// /myscore at 6 pm. Their questions are gathered until this turn of the event loop ends and asked
// in one statement, so a burst costs a few round trips instead of fifty.

interface Waiting<Q, A> {
  questions: Q[];
  answers: Array<{ done: (a: A) => void; fail: (e: unknown) => void }>;
}

const groups = new WeakMap<object, Map<string, Waiting<unknown, unknown>>>();

/** the real one, taken at load: a test that fakes the timers must not stop every query */
const later = setImmediate;

/**
 * Asks `question` together with the others asked under the same `group` (per database `owner`) in
 * this turn of the event loop: `ask` gets them all, in order, and returns one answer per question.
 * A failure fails every question of the batch.
 */
export function together<Q, A>(
  owner: object,
  group: string,
  question: Q,
  ask: (questions: Q[]) => Promise<A[]>,
): Promise<A> {
  let byGroup = groups.get(owner);
  if (!byGroup) groups.set(owner, (byGroup = new Map()));
  let batch = byGroup.get(group) as Waiting<Q, A> | undefined;
  if (!batch) {
    const fresh: Waiting<Q, A> = { questions: [], answers: [] };
    batch = fresh;
    byGroup.set(group, fresh as Waiting<unknown, unknown>);
    // the others of the burst add their questions before the statement goes out
    later(() => {
      if (byGroup.get(group) === (fresh as Waiting<unknown, unknown>)) byGroup.delete(group);
      Promise.resolve()
        .then(() => ask(fresh.questions))
        .then(
          (answers) => fresh.answers.forEach((a, i) => a.done(answers[i]!)),
          (e: unknown) => fresh.answers.forEach((a) => a.fail(e)),
        );
    });
  }
  const b = batch;
  return new Promise<A>((done, fail) => {
    b.questions.push(question);
    b.answers.push({ done, fail });
  });
}
