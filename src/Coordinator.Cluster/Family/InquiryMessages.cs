namespace Coordinator.Cluster.Family;

/// <summary>Messages to an inquiry besides its domain commands, routed by the inquiry id they carry.</summary>
public interface IInquiryMessage
{
    string Inquiry { get; }
}

public sealed record GetInquiry(string Inquiry) : IInquiryMessage;

/// <summary>
/// The inquiry leaves memory now (sharding passivates it; a later message starts it again): a bulk import of
/// 100,000 inquiries would otherwise keep every one running, half a gigabyte, until each sat idle long enough.
/// </summary>
public sealed record ShelveInquiry(string Inquiry) : IInquiryMessage;
