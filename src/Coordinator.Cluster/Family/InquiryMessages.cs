namespace Coordinator.Cluster.Family;

public sealed record GetInquiry(string Inquiry);
