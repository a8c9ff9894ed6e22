namespace Coordinator.Cluster.Family;

/// <summary>Messages to an inquiry besides its domain commands, routed by the inquiry id they carry.</summary>
public interface IInquiryMessage
{
    string Inquiry { get; }
}

public sealed record GetInquiry(string Inquiry) : IInquiryMessage;
