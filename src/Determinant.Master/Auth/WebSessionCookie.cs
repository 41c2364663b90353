namespace Determinant.Master.Auth;

/// <summary>The web UI's session: the user token in an HttpOnly, SameSite=Strict cookie, and the header a state-changing request must add.</summary>
internal static class WebSessionCookie
{
    public const string Name = "det_session";

    /// <summary>Sent by the web UI with every state-changing request; a cross-site form cannot set it.</summary>
    public const string RequestHeader = "X-Det-Web";
}
