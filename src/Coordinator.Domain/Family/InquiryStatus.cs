namespace Coordinator.Domain.Family;

/// <summary>Whether an inquiry still takes decisions; its stage says how far the case has come.</summary>
public enum InquiryStatus { Open, Closed }
