// Every action, view and block id Tally's Slack surfaces use, in one place.
export const ID = {
  appealButton: 'appeal_open',
  appealModal: 'appeal_submit',
  appealComment: 'appeal_comment',
  /** Accept / Reject carry the penalty's id (an appeal is named by its penalty) */
  acceptButton: 'appeal_accept_penalty',
  rejectButton: 'appeal_reject_penalty',
  /** Accept / Reject sent before that carry the appeal's id: still answered */
  acceptAppealButton: 'appeal_accept',
  rejectAppealButton: 'appeal_reject',
  decideModal: 'appeal_decide',
  decideComment: 'decide_comment',
  pickModal: 'penalty_pick',
  pickRule: 'pick_rule',
  pickAmount: 'pick_amount',
  homeAppealsPrevious: 'home_appeals_previous',
  homeAppealsNext: 'home_appeals_next',
  uploadImport: 'upload_import',
  uploadCancel: 'upload_cancel',
  /** Approve / Decline on a review's candidate, Confirm on a probation prompt: the value is a DecisionRef */
  promotionApprove: 'promotion_approve',
  promotionDecline: 'promotion_decline',
  probationConfirm: 'probation_confirm',
  promotionDeclineModal: 'promotion_decline_submit',
  promotionWhy: 'promotion_why',
  input: 'value',
} as const;
