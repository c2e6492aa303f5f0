# One image for every Latchkey service; the service is chosen by the command (see docker-compose.yml, k8s/).
# syntax=docker/dockerfile:1.7
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=token-service,validation-service,policy-service,audit-service \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/tools/run-service.js ./tools/run-service.js
USER node
ENTRYPOINT ["node", "tools/run-service.js"]
CMD ["token-service"]
