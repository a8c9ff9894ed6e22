using Coordinator.Cluster.Tests.Support;

[assembly: AssemblyFixture(typeof(PostgresServer))]
