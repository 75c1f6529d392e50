import { ReferralBoard } from '../referrals/ReferralBoard.js';

export default function InboxPage() {
  return <ReferralBoard box="inbox" />;
}
