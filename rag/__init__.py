"""newsqa's pipeline: articles -> chunks -> vectors -> index -> passages -> answer -> verified citations."""
