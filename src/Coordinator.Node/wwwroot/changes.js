// The live stream's kinds of change, named as the node sends them (ChangeKind in Coordinator.Contracts, kebab-case):
// the one place a page learns them. ContractsTests holds this list to the enum.
export const Change = Object.freeze({
  facility: "facility",
  sector: "sector",
  progress: "progress",
  team: "team",
  alert: "alert",
  acknowledged: "acknowledged",
  familyInquiry: "family-inquiry",
  familyCandidate: "family-candidate",
});
