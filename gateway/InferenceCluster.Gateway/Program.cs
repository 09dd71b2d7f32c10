return InvalidConfigurationExit.Run(() => InferenceCluster.Gateway.GatewayApp.Create(args));
