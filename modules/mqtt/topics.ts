/** The MQTT topics of one node, all under `<prefix>/<nodeId>/` (see README). */
export interface NodeTopics {
  tele: string;
  state: string;
  birth: string;
  evt: string;
  resp: string;
  /** Subscription filter for commands: `.../cmd/#`. */
  cmdFilter: string;
  /** Prefix of command topics, `.../cmd/`; the verb follows. */
  cmdPrefix: string;
}

/** Builds the topic set for `prefix` and `nodeId`. */
export function nodeTopics(prefix: string, nodeId: string): NodeTopics {
  const base = `${prefix}/${nodeId}`;
  return {
    tele: `${base}/tele`,
    state: `${base}/state`,
    birth: `${base}/birth`,
    evt: `${base}/evt`,
    resp: `${base}/resp`,
    cmdFilter: `${base}/cmd/#`,
    cmdPrefix: `${base}/cmd/`,
  };
}
