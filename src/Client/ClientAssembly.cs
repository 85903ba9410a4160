namespace StorageHa.Client;

/// <summary>Marker so the host can route to these pages: <c>AddAdditionalAssemblies(typeof(ClientAssembly).Assembly)</c>.</summary>
public static class ClientAssembly;
