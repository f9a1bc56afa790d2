import { describeStatus, judgeQueueGroup } from '../../../src/adapters/jetbackup/queue-status';

describe('the safe status rule (docs/reference/jetbackup-and-exim.md §1.9)', () => {
  it('when a group has not ended, then it is running whatever its status', () => {
    for (const status of [1, 2, 30, 100, 200, null]) expect(judgeQueueGroup({ ended: false, status })).toBe('running');
  });

  it('when a group ended with 100, then it is a success', () => {
    expect(judgeQueueGroup({ ended: true, status: 100 })).toBe('success');
  });

  it('when a group ended with anything else, then it finished not clean (warnings and partial too)', () => {
    for (const status of [1, 2, 101, 102, 103, 104, 200, 201, null])
      expect(judgeQueueGroup({ ended: true, status })).toBe('finished_not_clean');
  });

  it('when describing a status, then third-party names are marked as guesses', () => {
    expect(describeStatus(200)).toBe('status 200 (failed?)');
    expect(describeStatus(7)).toBe('status 7');
    expect(describeStatus(null)).toBe('no status');
  });
});
