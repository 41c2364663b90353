namespace Determinant.Config;

/// <summary>A port of the task exposed through the master's proxy (<c>environment.proxy_ports[]</c>); accepted for compatibility.</summary>
/// <param name="Port">The port inside the task.</param>
/// <param name="ProxyTcp">Proxy raw TCP instead of HTTP.</param>
/// <param name="Unauthenticated">Let requests through without a session.</param>
/// <param name="DefaultServiceId">Use the task id as the service id.</param>
public sealed record ProxyPort(int Port, bool ProxyTcp = false, bool Unauthenticated = false, bool DefaultServiceId = false);
