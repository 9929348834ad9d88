/**
 * The floor's dynamic provider (see floor.js): sleeps the job time in create, update and delete and returns its
 * inputs as outputs. No check, diff or read: the host then passes inputs through, lets the engine diff, and keeps
 * the outputs on refresh.
 */
"use strict";

const sleep = (props) => new Promise((resolve) => setTimeout(resolve, props.jobMs));

module.exports = {
  async create(inputs) {
    await sleep(inputs);
    return { id: inputs.vmUuid, outs: inputs };
  },
  async update(_id, _olds, news) {
    await sleep(news);
    return { outs: news };
  },
  async delete(_id, props) {
    await sleep(props);
  },
};
