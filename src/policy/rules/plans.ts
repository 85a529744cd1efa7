/** Plans the member owns: who may read, propose, change and share them. */
export const planRules = {};
