import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLook, describeRoles } from './record-looks.ts';

describe('how a look at a record is described to the member', () => {
  it('names the roles as the service does, without the note after a commissioner', () => {
    assert.equal(describeRoles('peer_support_worker'), 'Peer support worker');
    assert.equal(
      describeRoles('peer_support_worker,service_manager,commissioner'),
      'Peer support worker, Service manager and Commissioner',
    );
    assert.equal(describeRoles(null), 'Someone at the service');
    assert.equal(describeRoles('not_a_role'), 'Someone at the service');
  });

  it('says what was read in plain words, and still shows a read it does not know', () => {
    assert.equal(describeLook('member.read'), 'Opened your record');
    assert.equal(describeLook('plan.crisis_view_read'), 'Opened your crisis plan');
    assert.equal(
      describeLook('plan.crisis_page_read'),
      'Opened the page for your crisis plan, without seeing the plan',
    );
    assert.equal(describeLook('something.new_read'), 'Looked at your record');
  });
});
