// What a slash command handler gets from Slack (or the console): who typed it, what, and the trigger for a modal.
export interface CommandInput {
  userId: string;
  text: string;
  triggerId?: string;
}
