# Make targets for the AWS home: a thin layer over the operations commands
# (`npm run ops -- <command> --env $(ENV)`, scripts/ops/, docs/deploy.md "Make targets").
# Every target runs one ops command; the logic (and its tests) lives there, not here.
#
#   make help                          the targets
#   make infra-deploy ENV=test         any target, for dev (default), test or prod
#   make infra-deploy ARGS=--yes       extra options for the ops command

ENV ?= dev
# Options appended to the ops command line (e.g. ARGS=--yes, ARGS="--profile p --region r").
ARGS ?=
# infra-synth: where the cloud assembly goes.
OUT ?= infra/cdk.out.$(ENV)
# db-seed-golden: the golden set (analyses.json and images/).
GOLDEN ?= ../shared/data/golden
# db-connect: the local end of the tunnel (not PORT: that is the app's own variable).
LOCAL_PORT ?= 15432
# lambda-logs: which function, and how far back.
FUNCTION ?= api
SINCE ?= 10m

OPS = npm run ops --

# Refused before any target runs, so a typo never reaches an environment.
ifeq ($(filter $(ENV),dev test prod),)
$(error ENV must be dev, test or prod (got "$(ENV)"): e.g. make infra-status ENV=test)
endif
ifneq ($(words $(ENV)),1)
$(error ENV must be one word: dev, test or prod (got "$(ENV)"))
endif

.DEFAULT_GOAL := help
.PHONY: help infra-bootstrap infra-synth infra-deploy infra-diff infra-destroy infra-status \
	test-infra test-api test-all db-connect db-migrate db-seed-golden \
	secrets-populate secrets-export lambda-deploy-api lambda-logs

help: ## List the targets (ENV=dev|test|prod, default dev)
	@echo 'Usage: make <target> [ENV=dev|test|prod] [ARGS="more ops options"]'
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-20s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))

infra-bootstrap: ## cdk bootstrap of the account/region (once)
	$(OPS) bootstrap --env $(ENV) $(ARGS)

infra-synth: ## Synthesize the stack into OUT (default infra/cdk.out.ENV), offline
	$(OPS) synth --env $(ENV) --out $(OUT) $(ARGS)

infra-deploy: ## Build the web app, show the diff, ask, deploy, write .aws-outputs-ENV.json
	$(OPS) deploy --env $(ENV) $(ARGS)

infra-diff: ## What a deploy would change (cdk diff)
	$(OPS) diff --env $(ENV) $(ARGS)

infra-destroy: ## Delete the environment's stack (asks for the environment name)
	$(OPS) destroy --env $(ENV) $(ARGS)

infra-status: ## CloudFormation status of the environment's stack
	$(OPS) status --env $(ENV) $(ARGS)

test-infra: ## Live checks of the deployed environment (report under reports/)
	$(OPS) test-infra --env $(ENV) $(ARGS)

test-api: ## API integration suite against the deployed URL, as a temporary Cognito user
	$(OPS) test-api --env $(ENV) $(ARGS)

test-all: ## test-infra, then test-api
	$(OPS) test-infra --env $(ENV) $(ARGS)
	$(OPS) test-api --env $(ENV) $(ARGS)

db-connect: ## Tunnel to RDS on localhost:LOCAL_PORT (SSM port forwarding via the bastion)
	$(OPS) db-connect --env $(ENV) --port $(LOCAL_PORT) $(ARGS)

db-migrate: ## Apply pending SQL migrations (invokes the migrate function)
	$(OPS) db-migrate --env $(ENV) $(ARGS)

db-seed-golden: ## Import the golden set from GOLDEN (default ../shared/data/golden)
	$(OPS) db-seed-golden --env $(ENV) --golden $(GOLDEN)/analyses.json $(ARGS)

secrets-populate: ## .env -> Parameter Store SecureStrings (names printed, never values)
	$(OPS) secrets-populate --env $(ENV) $(ARGS)

secrets-export: ## Parameter Store -> .env (merged, mode 600)
	$(OPS) secrets-export --env $(ENV) $(ARGS)

lambda-deploy-api: ## Code-only update of the api function (bypasses CloudFormation)
	$(OPS) lambda-deploy --env $(ENV) --function api $(ARGS)

lambda-logs: ## A function's logs (FUNCTION=api, SINCE=10m; ARGS=--follow)
	$(OPS) logs $(FUNCTION) --env $(ENV) --since $(SINCE) $(ARGS)
