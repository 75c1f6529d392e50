import { ReferralBoard } from '../referrals/ReferralBoard.js';

export default function OutboxPage() {
  return <ReferralBoard box="outbox" />;
}
