using Coordinator.Node;

// RunAsync returns on SIGTERM after the actor system has left and shut down (Akka.Hosting stops it with the host).
await NodeApp.Build(args).RunAsync();
